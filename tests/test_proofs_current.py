"""proofs/ holds exactly what `symadam derive --proofs` generates today."""
from pathlib import Path

from symadam.core.report import proof_families, render_proof

PROOFS = Path(__file__).resolve().parents[1] / "proofs"


def test_proofs_are_current():
    fams = proof_families()
    stale = []
    for fam in fams:
        path = PROOFS / f"{fam}.tex"
        if not path.exists() or path.read_text() != render_proof(fam):
            stale.append(fam)
    assert not stale, (f"proofs out of date for {stale}: run "
                       "`symadam derive --proofs proofs` and commit")
    extra = {p.stem for p in PROOFS.glob("*.tex")} - set(fams)
    assert not extra, f"proofs/ has documents for unknown families: {extra}"

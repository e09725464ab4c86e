"""Staff development (pembinaan pustakawan): staff and their positions, the
competency framework, development programmes, attendance, completions and
certificates."""

"""Evaluation and improvement: objectives and monitoring (6.2, 9.1), internal audit (9.2),
management review (9.3), nonconformity and corrective action (10.2), improvement (10.1)."""

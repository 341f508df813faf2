"""The Evaluation and improvement tab."""

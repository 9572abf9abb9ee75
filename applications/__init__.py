"""Applications: forms, budgets, completion and submission."""

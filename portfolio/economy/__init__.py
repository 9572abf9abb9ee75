"""The economy: year budgets, the budget room (beslutsutrymme) before and after a meeting's
applications, member contributions, the economy report and the exports.
"""

"""What each role sees first: the start pages and the insats overview page."""

"""Pages of buyers: sign-up and dashboard, inquiries and the inbox, the team."""

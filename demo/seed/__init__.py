"""`seed_demo`, by concern: `run` (the find-or-write helper and the tally), `companies` (logins,
categories, belts, checklists, suppliers with their evidence and certification), `listings`,
`trade` (orders, inquiries and an RFQ in flight), `pictures` (generated documents and photos),
`report` (what the command prints) and `seeding` (the order it all happens in)."""

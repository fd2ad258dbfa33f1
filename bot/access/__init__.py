"""Who may do what: the access policy file (ACCESS_POLICY), its rules, the decision and the gate."""

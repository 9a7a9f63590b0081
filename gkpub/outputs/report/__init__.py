"""Reports: the internal compliance report (outside the output) and the annual report draft."""

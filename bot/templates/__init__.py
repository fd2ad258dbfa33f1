"""Object import template files: the checks DRS would make, and error reasons in result files."""

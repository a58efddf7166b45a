"""Loading checklist and site YAML into core models, with FILE:LINE:COL errors."""

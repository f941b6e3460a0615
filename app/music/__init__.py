"""Musical taste as code: mood, the frame it sets, styles, ensembles."""

extensions = ["sphinx_mlrefarch"]
project = "basic"
exclude_patterns = ["_build"]

extensions = ["sphinx_mlrefarch", "myst_parser"]
project = "myst"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]

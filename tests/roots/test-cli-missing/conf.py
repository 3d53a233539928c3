project = "cli-missing"
extensions = ["sphinx_mlrefarch"]

project = "cli-covered"
extensions = ["sphinx_mlrefarch"]

project = "cli-badmodel"
extensions = ["sphinx_mlrefarch"]
mlrefarch_model = "broken.yaml"

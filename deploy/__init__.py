"""Running Pustaka: on one machine (local.py), or in containers and Kubernetes."""

"""`python -m alicloud_versions.plugin ENGINE_ADDRESS`: what the console script runs."""

from . import main

main()

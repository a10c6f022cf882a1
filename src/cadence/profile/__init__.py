"""Runner profiles and run-walk programs: YAML in, validated dataclasses out."""

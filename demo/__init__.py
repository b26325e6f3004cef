"""The demo world and the scale-test generator: the top layer, which no domain app imports.

data/                 the demo world (YAML) and the generator's vocabularies (data/generator/)
world.py              reads and checks the demo world's files
seed/                 `seed_demo`: writes the world through the domain services
generator/            `generate_catalog`: a large generated catalog loaded with COPY
management/commands/  the two commands
"""

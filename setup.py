from setuptools import find_packages, setup

setup(
    name="asteroid_openmm",
    version="0.1.0",
    description=(
        "ASTEROID spatiotemporal transformer forecasts as a drop-in OpenMM "
        "surrogate integrator"
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    packages=find_packages(include=["asteroid_openmm", "asteroid_openmm.*"]),
    package_data={
        "asteroid_openmm": [
            "systems/geometries/*",
            "pretrained/*",
        ]
    },
    install_requires=[
        "torch==2.9.1",
        "openmm==8.6.1",
        "openmmtorch==1.5",
        "torchani==2.2.4",
        "mdtraj",
        "tables",  # mdtraj HDF5 trajectories
        "numpy",
        "tqdm",
        "matplotlib",
    ],
    extras_require={"test": ["pytest"]},
    entry_points={"console_scripts": ["asteroid-openmm=asteroid_openmm.cli:main"]},
)

"""Builds the extension caf_consensus._core with the project's CMake build
(see pyproject.toml). Environment: CMAKE_ARGS (extra configure flags),
CMAKE_BUILD_PARALLEL_LEVEL (jobs, default: all cores)."""

import os
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


class cmake_build_ext(build_ext):
    def build_extension(self, ext):
        build = os.path.abspath(os.path.join(self.build_temp, "cmake"))
        os.makedirs(build, exist_ok=True)
        configure = [
            "cmake", "-S", HERE, "-B", build,
            "-DCMAKE_BUILD_TYPE=Release",
            "-DCAF_CONSENSUS_PYTHON=ON",
            "-DCAF_CONSENSUS_ENABLE_TESTS=OFF",
            "-DCAF_CONSENSUS_ENABLE_BENCH=OFF",
            f"-DPYTHON_EXECUTABLE={sys.executable}",
        ] + shlex.split(os.environ.get("CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", build, "-j", jobs,
                        "--target", "caf_consensus_python"], check=True)
        built = os.path.join(build, "python", "caf_consensus",
                             os.path.basename(self.get_ext_filename(ext.name)))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built, target)


setup(
    ext_modules=[Extension("caf_consensus._core", sources=[])],
    cmdclass={"build_ext": cmake_build_ext},
)

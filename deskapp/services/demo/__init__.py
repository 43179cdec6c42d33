"""A realistic demo workspace (``deskapp demo``)."""

from deskapp.services.demo.generator import build_demo
from deskapp.services.demo.spec import DemoSpec, DemoSummary

__all__ = ["DemoSpec", "DemoSummary", "build_demo"]

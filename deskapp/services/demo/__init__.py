"""A realistic demo workspace (``deskapp demo``)."""

from deskapp.services.demo.generator import DemoSpec, DemoSummary, build_demo

__all__ = ["DemoSpec", "DemoSummary", "build_demo"]

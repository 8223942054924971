package io.thingstorm.loadgen.report;

/** A threshold as the scenario wrote it, whether the run met it, and the value it was judged on. */
public record Verdict(String threshold, boolean passed, double actual) {}

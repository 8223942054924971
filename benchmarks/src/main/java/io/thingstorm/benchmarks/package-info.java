package io.thingstorm.benchmarks;

package io.thingstorm.loadgen;

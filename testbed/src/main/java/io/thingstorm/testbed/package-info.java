package io.thingstorm.testbed;

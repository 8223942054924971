package io.thingstorm.client;

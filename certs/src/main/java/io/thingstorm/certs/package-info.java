package io.thingstorm.certs;

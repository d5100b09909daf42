package org.tanso.http;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.tanso.testing.TansoTestResource;

/**
 * A fresh real PostgreSQL database (and the harness's broker) for every start of the test
 * application.
 */
@QuarkusTestResource(
    value = TansoTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "http_api"))
public class TansoResources {}

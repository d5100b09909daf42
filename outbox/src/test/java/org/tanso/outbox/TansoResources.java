package org.tanso.outbox;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.tanso.testing.TansoTestResource;

/** Real Kafka broker and a fresh PostgreSQL database for every start of the test application. */
@QuarkusTestResource(
    value = TansoTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "outbox"))
public class TansoResources {}

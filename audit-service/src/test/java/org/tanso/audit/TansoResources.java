package org.tanso.audit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import org.tanso.testing.TansoTestResource;

/** Real Kafka broker and a fresh PostgreSQL database for every test of this service. */
@QuarkusTestResource(
    value = TansoTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "audit"))
public class TansoResources {}

package org.tanso.registry;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.CallerIdentityContract;

@QuarkusTest
class RegistryCallerIdentityTest extends CallerIdentityContract {}

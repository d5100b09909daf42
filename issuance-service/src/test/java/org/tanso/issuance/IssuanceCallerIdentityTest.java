package org.tanso.issuance;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.CallerIdentityContract;

@QuarkusTest
class IssuanceCallerIdentityTest extends CallerIdentityContract {}

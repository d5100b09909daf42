package org.tanso.audit;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.CallerIdentityContract;

@QuarkusTest
class AuditCallerIdentityTest extends CallerIdentityContract {}

package fluxrelay.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersAndBidiOverridesCannotStartOrHideALine() {
        assertEquals("a\\x0d\\x0aINFO forged", LogText.of("a\r\nINFO forged"));
        assertEquals("\\x1b[31mred", LogText.of("\u001b[31mred"));
        assertEquals("x\\u202ey\\x00", LogText.of("x\u202ey\u0000"));
        assertEquals("back\\x5cslash", LogText.of("back\\slash"), "a backslash is escaped too, so escapes cannot be faked");
        assertEquals("plain name", LogText.of("plain name"));
        assertEquals("null", LogText.of(null));
    }

    @Test
    void longTextIsCutWithTheCountOfWhatWasLeftOut() {
        String huge = "A".repeat(65536);
        String safe = LogText.of(huge);
        assertEquals("A".repeat(80) + "...(65456 more)", safe);
        assertTrue(safe.length() < 100);
    }

    @Test
    void aBudgetLogsTheBurstThenCountsTheRest() {
        LogBudget budget = new LogBudget(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.allow());
        }
        for (int i = 0; i < 1000; i++) {
            assertFalse(budget.allow());
        }
        assertEquals(1000, budget.suppressed());
    }
}

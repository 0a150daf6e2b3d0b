package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of users' layer lists. */
class LayerSetTest {

    @Test
    void layerListsParseRangesAndSingles() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5), LayerSet.parse("0-5", 6).layers());
        assertEquals(List.of(0, 2, 4, 5), LayerSet.parse("0,2,4-5", 6).layers());
        assertEquals(List.of(1, 2, 3), LayerSet.parse(" 3, 1-2 ,2", 6).layers());
        assertEquals(LayerSet.all(30), LayerSet.parse("all", 30));
    }

    @Test
    void badLayerListsAreExplained() {
        InvalidInputException out = assertThrows(InvalidInputException.class, () -> LayerSet.parse("0-6", 6));
        assertTrue(out.getMessage().contains("layer 6 is out of range") && out.getMessage().contains("6 layers (0-5)"),
                out.getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> LayerSet.parse("4-2", 6)).getMessage()
                .contains("\"4-2\" is reversed"));
        assertTrue(assertThrows(InvalidInputException.class, () -> LayerSet.parse("1,x", 6)).getMessage()
                .contains("\"x\""));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("-1", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("0-", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("99999999999", 6));
    }
}

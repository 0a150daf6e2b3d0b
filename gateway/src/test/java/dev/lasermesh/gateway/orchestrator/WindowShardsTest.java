package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.contracts.task.WindowShard;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowShardsTest {

    @Test
    void shardsAreContiguousCoverTheRangeAndDifferByAtMostOne() {
        List<WindowShard> shards = WindowShards.cut(13, 64, 3);
        assertEquals(List.of(new WindowShard(13, 30), new WindowShard(30, 47), new WindowShard(47, 64)), shards);
        List<WindowShard> uneven = WindowShards.cut(0, 10, 4);
        assertEquals(List.of(new WindowShard(0, 2), new WindowShard(2, 5), new WindowShard(5, 7), new WindowShard(7, 10)),
                uneven);
    }

    @Test
    void fewerWindowsThanShardsGiveOneShardPerWindow() {
        assertEquals(List.of(new WindowShard(5, 6), new WindowShard(6, 7)), WindowShards.cut(5, 7, 4));
    }

    @Test
    void anEmptyRangeOrNoShardIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WindowShards.cut(4, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> WindowShards.cut(0, 8, 0));
    }
}

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
    void shardsCutOnUnitsEndOnlyWhereAUnitEnds() {
        assertEquals(List.of(new WindowShard(0, 4), new WindowShard(4, 8), new WindowShard(8, 16)),
                WindowShards.cut(0, 16, 3, 4));
        assertEquals(List.of(new WindowShard(13, 29), new WindowShard(29, 45), new WindowShard(45, 64)),
                WindowShards.cut(13, 64, 3, 8), "the last shard takes the windows after the last whole unit");
        assertEquals(List.of(new WindowShard(0, 8), new WindowShard(8, 10)), WindowShards.cut(0, 10, 4, 8),
                "fewer units than shards: one shard per unit");
    }

    @Test
    void anEmptyRangeOrNoShardIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WindowShards.cut(4, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> WindowShards.cut(0, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> WindowShards.cut(0, 8, 2, 0));
    }
}

package dev.lasermesh.gateway.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A message waiting to be published, or published (table {@code outbox}); see {@code outbox.Outbox}. */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "message_key")
    public String key;

    @Column(columnDefinition = "text")
    public String payload;

    public Instant created;
    public Instant sent;

    /** Up to {@code limit} unsent rows, oldest (lowest id, i.e. commit order per writer) first. */
    public static List<OutboxEntity> unsent(int limit) {
        return find("sent is null order by id").page(0, limit).list();
    }

    /** Up to {@code limit} rows of {@code topic} marked sent, with ids above {@code afterId}, in id order. */
    public static List<OutboxEntity> sentAfter(String topic, long afterId, int limit) {
        return find("topic = ?1 and sent is not null and id > ?2 order by id", topic, afterId).page(0, limit).list();
    }

    /** The highest id of the rows of {@code topic} marked sent, 0 when there is none. */
    public static long lastSentId(String topic) {
        Long last = getEntityManager().createQuery(
                "select max(o.id) from OutboxEntity o where o.topic = :topic and o.sent is not null", Long.class)
                .setParameter("topic", topic).getSingleResult();
        return last == null ? 0 : last;
    }

    /** Marks rows as acknowledged by the broker. */
    public static void markSent(List<Long> ids, Instant now) {
        if (!ids.isEmpty()) {
            update("sent = ?1 where id in ?2", now, ids);
        }
    }
}

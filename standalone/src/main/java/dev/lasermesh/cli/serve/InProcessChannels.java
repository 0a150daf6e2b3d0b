package dev.lasermesh.cli.serve;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connects the mesh's channels in memory inside {@code lasermesh serve}. The gateway and the workers are
 * libraries here, and each one's {@code application.properties} (read from its jar) binds its channels to
 * Kafka: {@code mp.messaging.incoming.analysis-tasks.connector=smallrye-kafka}, {@code .topic=…},
 * {@code .group.id=…}. This interceptor hides every setting of a channel whose connector is Kafka, so the
 * channel has no connector at all, and SmallRye Reactive Messaging connects the emitter and the
 * {@code @Incoming} method of that channel name inside the application directly: no broker, no Kafka client.
 *
 * <p>Hiding the connector alone would not do: a channel with any remaining setting (its topic, say) but no
 * connector fails the start (SRMSG00071), and an empty value cannot remove a name from the list of names that
 * declares channels. Registered through {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor};
 * with the default priority it runs before SmallRye's own interceptors, which resolve profiles and expressions
 * for the connector it looks up.
 */
public final class InProcessChannels implements ConfigSourceInterceptor {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The connector whose channels become in-memory ones. */
    static final String KAFKA = "smallrye-kafka";

    private static final Pattern CHANNEL_SETTING = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.\"]+)\\..+");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        return isKafkaChannelSetting(context, name) ? null : context.proceed(name);
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        List<String> names = new ArrayList<>();
        context.iterateNames().forEachRemaining(name -> {
            if (!isKafkaChannelSetting(context, name)) {
                names.add(name);
            }
        });
        return names.iterator();
    }

    private static boolean isKafkaChannelSetting(ConfigSourceInterceptorContext context, String name) {
        Matcher setting = CHANNEL_SETTING.matcher(name);
        if (!setting.matches()) {
            return false;
        }
        ConfigValue connector = context.proceed("mp.messaging." + setting.group(1) + "." + setting.group(2) + ".connector");
        return connector != null && KAFKA.equals(connector.getValue());
    }
}

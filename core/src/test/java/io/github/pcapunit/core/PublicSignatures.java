package io.github.pcapunit.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;

/**
 * An ArchUnit rule: no type from the given packages appears in the public signature of an API
 * class — its supertypes, or the types (type arguments included) of its public and protected
 * fields, method returns and parameters and constructor parameters.
 *
 * <pre>{@code
 * PublicSignatures.shouldNotExpose("..internal..", "org.pcap4j..").check(classes);
 * }</pre>
 *
 * An API class is a public class (or a public member class of one) outside every
 * {@code internal} package.
 */
public final class PublicSignatures {

    private PublicSignatures() {
    }

    /** The rule for {@code packageIdentifiers} in ArchUnit's syntax, e.g. {@code "..internal.."}. */
    public static ArchRule shouldNotExpose(String... packageIdentifiers) {
        PackageMatchers forbidden = PackageMatchers.of(packageIdentifiers);
        return classes().that(areApi()).should(notExpose(forbidden, String.join(", ", packageIdentifiers)));
    }

    private static DescribedPredicate<JavaClass> areApi() {
        return DescribedPredicate.describe("are API classes", c -> isApi(c));
    }

    private static boolean isApi(JavaClass c) {
        if (c.getPackageName().contains(".internal") || !c.getModifiers().contains(JavaModifier.PUBLIC)
                || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        return c.getEnclosingClass().map(PublicSignatures::isApi).orElse(true);
    }

    private static ArchCondition<JavaClass> notExpose(PackageMatchers forbidden, String what) {
        return new ArchCondition<>("not expose types from " + what + " in a public signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.getRawSuperclass().ifPresent(s -> report(c, "extends", s, forbidden, events));
                c.getRawInterfaces().forEach(i -> report(c, "implements", i, forbidden, events));
                for (JavaField f : c.getFields()) {
                    if (visible(f.getModifiers())) {
                        report(c, "field " + f.getName(), f.getType(), forbidden, events);
                    }
                }
                for (JavaCodeUnit u : c.getCodeUnits()) {
                    if (!visible(u.getModifiers()) || u.getName().equals("<clinit>")) {
                        continue;
                    }
                    report(c, u.getName() + "() returns", u.getReturnType(), forbidden, events);
                    for (JavaType p : u.getParameterTypes()) {
                        report(c, u.getName() + "() parameter", p, forbidden, events);
                    }
                }
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void report(JavaClass owner, String where, JavaType type, PackageMatchers forbidden,
            ConditionEvents events) {
        for (JavaClass raw : type.getAllInvolvedRawTypes()) {
            JavaClass base = raw.getBaseComponentType();
            if (forbidden.test(base.getPackageName())) {
                events.add(SimpleConditionEvent.violated(owner,
                        owner.getName() + " " + where + " " + base.getName()));
            }
        }
    }
}

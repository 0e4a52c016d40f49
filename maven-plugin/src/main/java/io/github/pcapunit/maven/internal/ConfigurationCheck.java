package io.github.pcapunit.maven.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Finds configuration elements that no goal of this plugin knows. Maven 3.9 only warns about
 * them, and by the time a goal runs it has dropped them from the goal's configuration; for
 * {@code capture:verify} a misspelt rule would then pass silently, so we look at the pom's own
 * configuration of this plugin (plugin level plus the running execution).
 */
public final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** Element names under this execution's configuration that no goal of the plugin declares. */
    public static List<String> unknownElements(MavenProject project, MojoExecution execution) {
        MojoDescriptor mojo = execution.getMojoDescriptor();
        PluginDescriptor pluginDescriptor = mojo.getPluginDescriptor();
        Set<String> known = new TreeSet<>();
        for (MojoDescriptor goal : pluginDescriptor.getMojos()) {
            if (goal.getParameters() != null) {
                for (Parameter p : goal.getParameters()) {
                    known.add(p.getName());
                    if (p.getAlias() != null) {
                        known.add(p.getAlias());
                    }
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Xpp3Dom configuration : configurations(project, pluginDescriptor.getPluginLookupKey(),
                execution.getExecutionId())) {
            for (Xpp3Dom child : configuration.getChildren()) {
                if (!known.contains(child.getName()) && !unknown.contains(child.getName())) {
                    unknown.add(child.getName());
                }
            }
        }
        return unknown;
    }

    private static List<Xpp3Dom> configurations(MavenProject project, String pluginKey,
            String executionId) {
        List<Xpp3Dom> found = new ArrayList<>();
        Plugin plugin = project.getBuild() == null ? null
                : project.getBuild().getPluginsAsMap().get(pluginKey);
        if (plugin == null && project.getBuild() != null
                && project.getBuild().getPluginManagement() != null) {
            plugin = project.getBuild().getPluginManagement().getPluginsAsMap().get(pluginKey);
        }
        if (plugin == null) {
            return found;
        }
        if (plugin.getConfiguration() instanceof Xpp3Dom) {
            found.add((Xpp3Dom) plugin.getConfiguration());
        }
        PluginExecution pe = plugin.getExecutionsAsMap().get(executionId);
        if (pe != null && pe.getConfiguration() instanceof Xpp3Dom) {
            found.add((Xpp3Dom) pe.getConfiguration());
        }
        return found;
    }
}

using Microsoft.Extensions.Configuration.Json;
using NetEscapades.Configuration.Yaml;

namespace Kefu.Server.Hosting;

internal static class ConfigurationSetup
{
    /// <summary>
    /// Adds the optional <c>kefu.yaml</c> right after the JSON files, so environment variables and the
    /// command line still override it: appsettings.json &lt; kefu.yaml &lt; Kefu__... &lt; --args.
    /// A kefu.yaml in the working directory overrides one next to the binary.
    /// </summary>
    public static void AddKefuYaml(this IConfigurationManager configuration, params string[] folders)
    {
        var sources = configuration.Sources;
        var index = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                index = i + 1;
            }
        }
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            var yaml = new YamlConfigurationSource { Path = "kefu.yaml", Optional = true, ReloadOnChange = false };
            yaml.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder);
            sources.Insert(index++, yaml);
        }
    }
}

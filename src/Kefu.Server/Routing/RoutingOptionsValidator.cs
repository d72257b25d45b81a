using Microsoft.Extensions.Options;

namespace Kefu.Server.Routing;

internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AgentGraceSeconds < 0)
        {
            failures.Add("Kefu:Routing:AgentGraceSeconds must be 0 or more.");
        }
        if (options.PresenceSeconds < 0.3)
        {
            failures.Add("Kefu:Routing:PresenceSeconds must be at least 0.3.");
        }
        if (options.OnAgentOffline is not ("keep" or "requeue"))
        {
            failures.Add("Kefu:Routing:OnAgentOffline is keep or requeue.");
        }
        if (options.StickyWaitSeconds < 0)
        {
            failures.Add("Kefu:Routing:StickyWaitSeconds must be 0 or more.");
        }
        if (options.DefaultHandleSeconds <= 0 || options.HandleTimeSamples < 1)
        {
            failures.Add("Kefu:Routing:DefaultHandleSeconds must be positive and HandleTimeSamples at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace Kefu.Core.Routing;

/// <summary>An agent as routing tracks it.</summary>
internal sealed class AgentEntry(RoutingAgent profile)
{
    public RoutingAgent Profile { get; set; } = profile;

    public HashSet<string> Skills { get; set; } = new(profile.Skills, StringComparer.OrdinalIgnoreCase);

    public int Load { get; set; }

    public bool Available { get; set; }

    public long LastAssignedMs { get; set; }

    public bool HasRoom => Available && Load < Profile.MaxConcurrent;

    public bool HasSkills(IReadOnlyList<string> required)
    {
        for (var i = 0; i < required.Count; i++)
        {
            if (!Skills.Contains(required[i]))
            {
                return false;
            }
        }
        return true;
    }
}

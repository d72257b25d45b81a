using Kefu.Core.Presence;

namespace Kefu.Adapters.Tests;

public sealed class InProcessPresenceRegistryTests : PresenceSpecification
{
    protected override IPresenceRegistry CreateRegistry() => new InProcessPresenceRegistry(Time, Lifetime);
}

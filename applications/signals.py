"""What the call for applications tells the later stages.

`offer_accepted` is sent (sender=Offer, offer=offer) inside the transaction that
records the acceptance: a receiver that fails undoes the acceptance too. The
cohorts app listens to make the person an EIG of the challenge's team.
"""

import django.dispatch

offer_accepted = django.dispatch.Signal()

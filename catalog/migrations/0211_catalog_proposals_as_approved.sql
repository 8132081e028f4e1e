-- Shared master catalogs, part 6: a proposal is published exactly as it was approved.
--
-- What a steward proposes (the change and its effective date) is what the reviewer sees and
-- approves, and what is published: a proposal's content never changes after it is made (a
-- different date or change needs a new proposal), and the change log entry written at
-- publication must carry the proposal's own date, author and reviewer. An open proposal
-- that can no longer be published as approved is withdrawn (by a steward, with a reason),
-- which frees its code for a new proposal.

alter table catalog.proposals
    add column withdrawn_by text references catalog.stewards,
    add column withdrawn_at timestamptz,
    add column withdrawal_reason text,
    drop constraint proposals_status_check,
    add constraint proposals_status_check
        check (status in ('proposed', 'approved', 'rejected', 'published', 'withdrawn')),
    drop constraint reviewed_iff_decided,
    add constraint reviewed_iff_decided
        check ((status = 'proposed' and reviewed_by is null)
               or (status in ('approved', 'rejected', 'published') and reviewed_by is not null)
               or status = 'withdrawn'),
    add constraint withdrawn_iff_withdrawer
        check ((status = 'withdrawn') = (withdrawn_by is not null)),
    add constraint withdrawal_has_reason
        check (status <> 'withdrawn' or coalesce(btrim(withdrawal_reason), '') <> '');

-- proposed → approved | rejected | withdrawn; approved → published | withdrawn; nothing after that.
create function catalog.guard_proposals() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'proposals are never deleted (#%): reject or withdraw it instead', old.proposal_id;
    end if;
    if (new.proposal_id, new.batch_id, new.catalog, new.code, new.action, new.payload, new.reason,
        new.effective_on, new.proposed_by, new.proposed_at)
       is distinct from
       (old.proposal_id, old.batch_id, old.catalog, old.code, old.action, old.payload, old.reason,
        old.effective_on, old.proposed_by, old.proposed_at) then
        raise exception 'proposal #% cannot be changed once made (a different change or effective date needs '
                        'a new proposal)', old.proposal_id;
    end if;
    if new.status is distinct from old.status
       and not ((old.status = 'proposed' and new.status in ('approved', 'rejected', 'withdrawn'))
                or (old.status = 'approved' and new.status in ('published', 'withdrawn'))) then
        raise exception 'proposal #% cannot go from % to %', old.proposal_id, old.status, new.status;
    end if;
    if old.status <> 'proposed'
       and (new.reviewed_by, new.reviewed_at, new.review_note)
           is distinct from (old.reviewed_by, old.reviewed_at, old.review_note) then
        raise exception 'the review of proposal #% is recorded once', old.proposal_id;
    end if;
    return new;
end $$;
create trigger guard_proposals before update or delete on catalog.proposals
    for each row execute function catalog.guard_proposals();

-- A published change is logged as its two people saw it: the proposal's date, author and reviewer.
create function catalog.change_log_as_approved() returns trigger
language plpgsql as $$
declare
    p catalog.proposals%rowtype;
begin
    if new.proposal_id is null then
        return new;
    end if;
    select * into p from catalog.proposals where proposal_id = new.proposal_id;
    if p.status <> 'approved'
       or (new.effective_on, new.author, new.reviewer) is distinct from (p.effective_on, p.proposed_by, p.reviewed_by) then
        raise exception 'the change log records proposal #% as approved (% by %, reviewed by %), not % by %, '
                        'reviewed by %', p.proposal_id, p.effective_on, p.proposed_by, p.reviewed_by,
                        new.effective_on, new.author, new.reviewer;
    end if;
    return new;
end $$;
create trigger as_approved before insert on catalog.change_log
    for each row execute function catalog.change_log_as_approved();

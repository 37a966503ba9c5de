// Roles and permissions: the one place that says which role may do what (deny by default).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::auth {

enum class Role {
  kAdmin,
  kNationalAnalyst,  // aggregates only
  kRegionalCoordinator,
  kSocialWorker,
  kCounselor,
  kMobileUnit,
  kInstitutionManager,
  kCommitteeMember,
  kDataEntry,
  kPaymentOfficer,
  kAuditor,
  kPartnerSystem,  // another government system calling the DCI API (no personal UI, no edits)
};

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
std::span<const Role> AllRoles();

// What a route may require. kPublic and kAuthenticated are explicit markers, never defaults.
enum class Permission {
  kPublic,                // no account needed (login, health)
  kAuthenticated,         // any signed-in account (own profile, logout)
  kAreasRead,             // reference areas
  kAuditRead,             // the audit log
  kUsersManage,           // accounts and roles
  kRegistryRead,          // households and persons (personal data, scoped)
  kRegistryPropose,       // file change requests
  kRegistryApprove,       // approve/reject change requests (four eyes)
  kRegistryImport,        // bulk import
  kRegistryExport,        // export search results
  kAggregatesRead,        // indicators without personal data
  kLinkageReview,         // deduplication review queue
  kPartnerSearch,         // DCI registry search
  kBenefitsRecord,        // write to the benefit ledger by hand (programmes write through their modules)
  kProgrammesManage,      // create and edit programmes (rules and parameters: no personal data)
  kCyclesRead,            // programme cycles: figures and entries (entries are personal data, scoped)
  kCyclesManage,          // generate and discard programme cycles, close them (national)
  kCyclesApprove,         // approve a cycle another user generated (four eyes; national)
  kPaymentsManage,        // payment accounts, batches, payment files and reconciliation
  kEmpowermentRead,       // women's empowerment registrations and cooperatives (personal data, scoped)
  kEmpowermentManage,     // notes on a woman's file (public ones reach her status page)
  kEmpowermentCommittee,  // funding applications: reviewers' scores and committee decisions (four eyes)
  kMicrocreditRead,       // micro-credit applications, loans (personal, scoped) and the portfolio
  kMicrocreditManage,     // officers: applications, training, disbursement, repayments, quotas
  kMicrocreditCommittee,  // committee members: scores, decisions (four eyes), write-offs
  kReportsIntake,         // enter a phoned-in citizen report (call centre)
  kReportsTriage,         // triage queues of units and counsellor pools, acknowledge, notes (scoped)
  kReportsOverdue,        // the overdue board of unacknowledged reports (regional coordinators, scoped)
  kEServicesManage,       // mobile units, acknowledgement deadlines, escalation passes
  // Non-salaried workers' affiliation: read workers, contributions, the review queue and campaign
  // figures; record declarations, payments and contacts; import lists and decide proposals (all scoped).
  kAffiliationRead,
  kAffiliationRecord,
  kAffiliationReview,
  kCasesRead,       // social cases in the caller's area, owned or referred to them (personal data)
  kCasesWork,       // open cases and record on them: checklist, plan, services, visits, notes, closure
  kCasesSupervise,  // assign cases, edit assessment protocols, run the escalation pass
  // Family counselling (docs/counselling.md), all scoped to the counsellors' areas: read counsellors,
  // slots and bookings (clients' names: audited); book, cancel and reschedule; record sessions and
  // write confidential session notes (the booking's counsellor only); manage counsellors, their
  // availability and leave, and the notification outbox.
  kCounsellingRead,
  kCounsellingBook,
  kCounsellingSession,
  kCounsellingManage,
  kGrievancesRead,    // grievances in the caller's area with their timeline (personal data, scoped)
  kGrievancesFile,    // file a grievance for a citizen (counter, phone) and appeal on their behalf
  kGrievancesDecide,  // review, resolve, decide appeals (four eyes), close, run the escalation pass
  kGrievancesManage,  // the SLA of each category (national)
};

std::string_view PermissionName(Permission p);

// True when any of `roles` grants `p`. kPublic is granted to everyone, kAuthenticated to any role.
bool Grants(std::span<const Role> roles, Permission p);

}  // namespace sanad::auth

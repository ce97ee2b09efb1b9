/** French strings of identities and sessions (see session-en.ts). */
import type { SessionMessageKey } from './session-en';

export const sessionFr: Record<SessionMessageKey, string> = {
  'role.viewer': 'Observateur',
  'role.operator': 'Opérateur',
  'role.oncall': 'Astreinte',
  'role.service-manager': 'Responsable de service',
  'role.sla-admin': 'Administrateur SLA',
  'role.publisher': 'Éditeur',
  'role.admin': 'Administrateur',

  'capability.view': 'Consulter la vue d’ensemble et les alarmes',
  'capability.view.infrastructure': 'Consulter les équipements, les métriques et les tableaux de bord',
  'capability.alarms.act': 'Agir sur les alarmes',
  'capability.handover.write': 'Passer la relève',
  'capability.maintenance.write': 'Planifier et supprimer des fenêtres de maintenance',
  'capability.dashboards.write': 'Modifier les tableaux de bord',
  'capability.diagnostics.run': 'Lancer des diagnostics et confirmer les clés d’hôte',
  'capability.estate.drill': 'Lancer un exercice',
  'capability.audit.read': 'Consulter le journal d’audit',
  'capability.secrets.manage': 'Gérer les secrets',
  'capability.users.manage': 'Gérer les personnes et les rôles',
  'capability.failover.request': 'Demander une bascule',
  'capability.failover.approve': 'Approuver une bascule',
  'capability.notices.publish': 'Publier des avis',
  'capability.sla.administer': 'Administrer le catalogue SLA',
  'capability.reports.review': 'Relire les rapports',

  'access.signInFirst':
    '{what}\u00a0: il faut une personne connectée, ce poste consulte sans session. Connectez-vous d’abord.',
  'access.needsRole': '{what}\u00a0: il faut le rôle {roles}, que vous n’avez pas.',

  'session.roles': 'Rôles\u00a0: {roles}',
  'session.noRole': 'aucun',
  'session.anonymous': 'Non connecté',
  'session.signIn': 'Se connecter',
  'session.signOut': 'Se déconnecter',
  'session.lock': 'Verrouiller',
  'session.lockFailed': 'Le poste n’a pas pu être verrouillé.',
  'session.signOutFailed': 'La déconnexion a échoué.',
  'session.menu': 'Session de {name}',

  'signIn.title': 'Connexion à Vigie',
  'signIn.intro': 'Cette console n’affiche rien tant qu’une personne ne s’est pas connectée.',
  'signIn.login': 'Identifiant',
  'signIn.password': 'Mot de passe',
  'signIn.totp': 'Code à six chiffres',
  'signIn.totpHint': 'Le code que votre application d’authentification affiche pour Vigie.',
  'signIn.submit': 'Se connecter',
  'signIn.working': 'Connexion…',
  'signIn.close': 'Fermer le formulaire de connexion',
  'signIn.expired': 'Votre session a pris fin (expirée, ou fermée ailleurs). Reconnectez-vous.',
  'signIn.failed': 'La connexion a échoué.',
  'signIn.noMethod':
    'Aucun moyen de connexion n’est configuré sur ce moteur. Adressez-vous à un administrateur.',
  'signIn.or': 'ou',
  'signIn.sso': 'Se connecter par authentification unique',
  'signIn.ssoWaiting':
    'En attente du fournisseur d’identité\u00a0: terminez la connexion sur la page qui s’est ouverte.',
  'signIn.ssoLink': 'Ouvrir la page de connexion',
  'signIn.ssoCancel': 'Ne plus attendre',
  'signIn.ssoFailed': 'L’authentification unique a échoué.',
  'signIn.ssoUnavailable': 'L’authentification unique n’est pas configurée sur ce moteur.',
  'signIn.checking': 'Vérification de la session…',

  'auth.reason.SIGN_IN_REQUIRED': 'Connectez-vous d’abord.',
  'auth.reason.BAD_CREDENTIALS': 'Identifiant ou mot de passe incorrect.',
  'auth.reason.TOTP_REQUIRED': 'Saisissez le code à six chiffres de votre application d’authentification.',
  'auth.reason.BAD_TOTP': 'Code incorrect. Un code change toutes les 30 secondes et ne sert qu’une fois.',
  'auth.reason.LOCKED_OUT':
    'Trop d’essais infructueux\u00a0: ce compte est bloqué pour un moment. Réessayez plus tard.',
  'auth.reason.DISABLED': 'Ce compte est désactivé. Adressez-vous à un administrateur.',
  'auth.reason.SESSION_EXPIRED': 'Votre session a pris fin. Reconnectez-vous.',
  'auth.reason.SEAT_LOCKED': 'Ce poste est verrouillé.',

  'lock.title': 'Poste verrouillé',
  'lock.intro':
    'Verrouillé par {name}. Rien n’est affiché tant que cette personne ne le déverrouille pas avec son mot de passe.',
  'lock.password': 'Mot de passe',
  'lock.unlock': 'Déverrouiller',
  'lock.working': 'Déverrouillage…',
  'lock.failed': 'Le déverrouillage a échoué.',
  'lock.signOut': 'Se déconnecter (une autre personne pourra se connecter)',

  'shortcut.signIn': 'Se connecter (en consultation sans session)',
  'shortcut.lock': 'Verrouiller le poste',
};
